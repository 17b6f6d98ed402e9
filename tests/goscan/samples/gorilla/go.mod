module example.com/gorilla

go 1.19

require github.com/gorilla/mux v1.8.1
