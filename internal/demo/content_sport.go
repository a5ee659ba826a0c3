package demo

var storiesSport = []story{}
