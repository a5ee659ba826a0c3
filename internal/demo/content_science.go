package demo

var storiesScience = []story{}
