use crate::Area;

pub struct Circle {
    pub radius: f64,
}

impl Circle {
    /// Makes a circle.
    pub fn new(radius: f64) -> Self {
        Circle { radius }
    }
}

impl Area for Circle {
    fn area(&self) -> f64 {
        self.radius * self.radius * 3.14
    }
}
