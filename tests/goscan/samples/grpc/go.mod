module example.com/grpc

go 1.19

require google.golang.org/grpc v1.60.0
