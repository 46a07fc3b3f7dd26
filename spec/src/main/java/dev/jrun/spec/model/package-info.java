/**
 * The OCI runtime-spec v1.3.0 documents as immutable records: {@code config.json} ({@link
 * dev.jrun.spec.model.Spec}), the container state ({@link dev.jrun.spec.model.State}) and the
 * features document ({@link dev.jrun.spec.model.Features}).
 *
 * <p>Conventions shared by every record here:
 *
 * <ul>
 *   <li>Each record is the description of its document type from which the JSON codec is
 *       generated: component names are the JSON names, components are declared in the order of
 *       the fields of runtime-spec's Go structs (which is also the order in which they are
 *       written), and {@link dev.jrun.spec.model.Go} says what Java does not (integer widths,
 *       pointers, fields without {@code omitempty}). The two names that differ are Java keywords:
 *       {@code LinuxIOPriority.ioClass} is JSON {@code class} and {@code CPUAffinity.finalCpus} is
 *       JSON {@code final}.
 *   <li>{@code null} means the field was absent (or JSON {@code null}). Lists and maps keep the
 *       difference between absent ({@code null}) and present but empty, because an exact round
 *       trip needs both. Lists and maps are unmodifiable copies.
 *   <li>Integer widths follow the Go types: {@code uint32} values are held in a {@code Long} (so
 *       they are never negative), {@code int32}/{@code uint16} in an {@code Integer}. Fields that
 *       are {@code uint64} (or Go {@code uint}) in the spec are held in a {@code Long} with
 *       <em>unsigned</em> semantics: compare them with {@link Long#compareUnsigned} and print them
 *       with {@link Long#toUnsignedString}. Each such component says so.
 * </ul>
 */
package dev.jrun.spec.model;
