module newsdesk

go 1.26.8
