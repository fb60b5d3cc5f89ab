package main

import "syscall"

func newPgid() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

// killGroup ends the process group this bench started (by its leader's id).
func killGroup(pid int) { syscall.Kill(-pid, syscall.SIGTERM) }
