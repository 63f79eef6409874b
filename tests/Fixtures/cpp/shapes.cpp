#include <cmath>

namespace geo {

class Shape {
public:
    virtual double area() const = 0;
};

// A circle.
class Circle : public Shape {
public:
    double area() const override { return square(r) * 3.14; }
private:
    static double square(double v) { return v * v; }
    double r = 1;
};

double total(const Shape& s) {
    return s.area();
}

}
