package demo

var storiesEconomy = []story{}
