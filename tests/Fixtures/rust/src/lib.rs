mod shapes;

use crate::shapes::Circle;

/// Something with an area.
pub trait Area {
    fn area(&self) -> f64;
}

pub fn total(c: &Circle) -> f64 {
    c.area() + helper()
}

fn helper() -> f64 {
    Circle::new(1.0).radius
}
