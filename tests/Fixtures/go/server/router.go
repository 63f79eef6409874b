package server

type Router struct{}

func NewRouter() *Router {
	return &Router{}
}

func (r *Router) Match(path string) string {
	return path
}
