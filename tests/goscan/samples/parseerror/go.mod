module example.com/parseerror

go 1.26
