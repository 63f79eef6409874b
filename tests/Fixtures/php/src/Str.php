<?php
namespace App\Support;

class Model {
}

class Str {
    public static function upper(string $s): string {
        return strtoupper($s);
    }
}
