package main

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

func ping(c *gin.Context) {
	c.String(http.StatusOK, c.Request.Host)
}

func main() {
	r := gin.Default()
	r.GET("/ping", ping)
	v1 := r.Group("/v1")
	{
		v1.POST("/login", ping)
		users := v1.Group("/users")
		users.GET("/:id", ping)
		users.Any("/any", ping)
	}
	r.Static("/assets", "./assets")
	r.Run()
}
