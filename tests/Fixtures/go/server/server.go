package server

import (
	"example.com/shop/util"
)

// Server answers requests.
type Server struct {
	name string
}

type Handler interface {
	Handle(path string) string
}

// Start runs the server.
func (s *Server) Start() string {
	return s.route(util.Normalize(s.name))
}

func (s *Server) route(path string) string {
	return NewRouter().Match(path)
}
