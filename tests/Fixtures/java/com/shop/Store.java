package com.shop;

class BaseStore {
    int size() {
        return 0;
    }
}

class Store extends BaseStore {
    int capacity() {
        return size() * 2;
    }
}
