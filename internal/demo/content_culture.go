package demo

var storiesCulture = []story{}
