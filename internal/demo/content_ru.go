package demo

var storiesRU = []story{}
