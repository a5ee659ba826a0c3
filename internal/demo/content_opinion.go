package demo

var storiesOpinion = []story{}
