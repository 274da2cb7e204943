package io.jasynq;

class Placeholder {}
