<?php
namespace App\Models;

use App\Support\Str;

interface HasName {
    public function name(): string;
}

/** A user of the shop. */
class User extends Model implements HasName {
    public function name(): string {
        return Str::upper($this->raw());
    }

    private function raw(): string {
        return "user";
    }
}
