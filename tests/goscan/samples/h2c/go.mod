module example.com/h2c

go 1.19

require golang.org/x/net v0.20.0
