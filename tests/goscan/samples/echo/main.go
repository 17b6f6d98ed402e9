package main

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
)

func hello(c echo.Context) error {
	return c.String(http.StatusOK, c.Request().Host)
}

func main() {
	e := echo.New()
	e.Server.ReadTimeout = 30 * time.Second
	e.Server.IdleTimeout = 2 * time.Minute
	e.GET("/", hello)
	g := e.Group("/admin")
	g.PUT("/users/:id", hello)
	e.Logger.Fatal(e.Start(":1323"))
}
