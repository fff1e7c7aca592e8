package nativestack

import "github.com/depotix/depotix/platform/ports"

// Ports are the ports a stack claims (platform/ports: an flock per port
// number, shared with every other process that claims ports).
type Ports = ports.Ports

// ClaimPorts claims n loopback ports (ports.Claim).
func ClaimPorts(n int) (*Ports, error) { return ports.Claim(n) }
