#include "util.h"

/* Limits value to [low, high]. */
int clamp(int value, int low, int high) {
    return value < low ? low : (value > high ? high : value);
}
