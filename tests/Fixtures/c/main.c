#include "util.h"

struct point {
    int x;
    int y;
};

static int scale(int v) {
    return clamp(v * 2, 0, 100);
}

int main(void) {
    return scale(3);
}
