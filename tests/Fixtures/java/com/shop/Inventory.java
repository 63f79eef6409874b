package com.shop;

/** Something that can be counted. */
interface Countable {
    int count();
}

public class Inventory implements Countable {
    private final Store store = new Store();

    /** Creates an empty inventory. */
    public Inventory() {
    }

    public int count() {
        return store.size() + extra();
    }

    private int extra() {
        return 0;
    }
}
