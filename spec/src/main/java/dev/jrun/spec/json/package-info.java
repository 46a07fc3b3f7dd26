/**
 * A JSON writer whose output is byte-identical to Go's {@code encoding/json}, so that documents
 * jrun prints ({@code spec}, {@code state}, {@code features}, {@code list}, ...) match runc's.
 */
package dev.jrun.spec.json;
