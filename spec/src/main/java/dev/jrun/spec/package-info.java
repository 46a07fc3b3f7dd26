/**
 * Reading, writing and validating OCI runtime-spec documents.
 *
 * <ul>
 *   <li>{@link dev.jrun.spec.SpecReader} decodes config.json, a process, resources, state and
 *       features documents, collecting every problem with its JSON path.
 *   <li>{@link dev.jrun.spec.SpecWriter} writes them exactly as runc (Go's encoding/json) would.
 *   <li>{@link dev.jrun.spec.validate.Validator} checks a decoded config against the spec's rules.
 *   <li>{@link dev.jrun.spec.DefaultSpec} is the config.json of {@code spec}.
 * </ul>
 */
package dev.jrun.spec;
