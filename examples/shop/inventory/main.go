// Inventory service: keeps an in-memory stock table and reserves items for orders.
package main

import (
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
)

type reserveRequest struct {
	SKU string `json:"sku" binding:"required"`
	Qty int    `json:"qty" binding:"required,min=1"`
}

type store struct {
	mu    sync.Mutex
	stock map[string]int
}

func newStore() *store {
	return &store{stock: map[string]int{
		"widget": 100,
		"gadget": 25,
		"gizmo":  3,
	}}
}

// reserve takes qty items of sku out of stock. It returns the remaining
// quantity, whether the sku is known, and whether there was enough stock.
func (s *store) reserve(sku string, qty int) (remaining int, known bool, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	have, known := s.stock[sku]
	if !known {
		return 0, false, false
	}
	if have < qty {
		return have, true, false
	}
	s.stock[sku] = have - qty
	return have - qty, true, true
}

func (s *store) get(sku string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.stock[sku]
	return n, ok
}

func requestLogger() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		log.Printf("%s %s %d %s", c.Request.Method, c.Request.URL.Path, c.Writer.Status(), time.Since(start))
	}
}

func main() {
	port := os.Getenv("PORT")
	if port == "" {
		port = "8081"
	}

	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.Use(gin.Recovery(), requestLogger())

	inv := newStore()

	r.GET("/health", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"status": "ok", "service": "inventory"})
	})

	r.GET("/stock/:sku", func(c *gin.Context) {
		sku := c.Param("sku")
		n, ok := inv.get(sku)
		if !ok {
			c.JSON(http.StatusNotFound, gin.H{"error": "unknown sku", "sku": sku})
			return
		}
		c.JSON(http.StatusOK, gin.H{"sku": sku, "available": n})
	})

	r.POST("/reserve", func(c *gin.Context) {
		var req reserveRequest
		if err := c.ShouldBindJSON(&req); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		remaining, known, ok := inv.reserve(req.SKU, req.Qty)
		switch {
		case !known:
			c.JSON(http.StatusNotFound, gin.H{"error": "unknown sku", "sku": req.SKU})
		case !ok:
			log.Printf("insufficient stock for %s: want %d, have %d", req.SKU, req.Qty, remaining)
			c.JSON(http.StatusConflict, gin.H{"error": "insufficient stock", "sku": req.SKU, "available": remaining})
		default:
			log.Printf("reserved %d x %s, %d left", req.Qty, req.SKU, remaining)
			c.JSON(http.StatusOK, gin.H{"sku": req.SKU, "reserved": req.Qty, "remaining": remaining})
		}
	})

	addr := "127.0.0.1:" + port
	log.Printf("inventory listening on http://%s", addr)
	if err := r.Run(addr); err != nil {
		log.Fatal(err)
	}
}
