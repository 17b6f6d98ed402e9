module example.com/pprofimport

go 1.19
