package demo

var storiesWorld = []story{}
