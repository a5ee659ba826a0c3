package demo

var storiesDesk = []story{}
