/**
 * Linux names and numbers that both validation and the runtime need: capability and rlimit
 * tables, mount option names, and the CPU/node list syntax.
 */
package dev.jrun.spec.linux;
