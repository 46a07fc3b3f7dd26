/**
 * Linux names and numbers that both validation and the runtime need: capability and rlimit
 * tables, mount option names, the CPU/node list syntax, and device cgroup access strings.
 */
package dev.jrun.spec.linux;
