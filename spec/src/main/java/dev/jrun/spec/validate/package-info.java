/**
 * Checks a decoded config against the runtime-spec's requirements and runc's rules, reporting
 * every problem at once, each as {@code config.json: <json.path>: <reason>}.
 */
package dev.jrun.spec.validate;
