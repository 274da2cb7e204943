package io.jasynq.testkit;

class Placeholder {}
