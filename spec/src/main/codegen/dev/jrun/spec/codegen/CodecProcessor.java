package dev.jrun.spec.codegen;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.RoundEnvironment;
import javax.annotation.processing.SupportedAnnotationTypes;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic;

/**
 * Generates the JSON codec of the spec module from its model: each record of {@code
 * dev.jrun.spec.model}, with its {@code @Go} annotations, is the one description of a runtime-spec
 * type. From it come
 *
 * <ul>
 *   <li>{@code dev.jrun.spec.ModelDecoder}: a streaming reader per record, and the table of field
 *       names that FieldNames folds keys onto;
 *   <li>{@code dev.jrun.spec.ModelEncoder}: a writer per record, with Go's field order and
 *       omitempty rules;
 *   <li>{@code dev.jrun.spec.validate.Json}: the JSON name of every component, for the paths of
 *       validation messages.
 * </ul>
 *
 * <p>Generation at build time keeps the start-up cost of hand-written code: no reflection and no
 * lambdas when a document is read. spec/pom.xml compiles this package first, on its own, and runs
 * it on the rest of the module; it is not packaged. Maven cannot be told that this processor is an
 * input of the module's compilation, so after changing only the processor, build with {@code mvn
 * clean} (a change to the model regenerates the codec as it should).
 */
@SupportedAnnotationTypes("*")
public final class CodecProcessor extends AbstractProcessor {
    static final String MODEL = "dev.jrun.spec.model";
    static final String CODEC = "dev.jrun.spec";
    static final String VALIDATE = "dev.jrun.spec.validate";

    private boolean done;

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        PackageElement model = processingEnv.getElementUtils().getPackageElement(MODEL);
        if (done || round.processingOver() || model == null) {
            return false;
        }
        done = true;
        ModelReader reader = new ModelReader(processingEnv.getElementUtils(), processingEnv.getMessager());
        List<Shape> shapes = reader.read(model);
        if (reader.failed()) {
            return false;
        }
        CodecWriter writer = new CodecWriter(shapes);
        write(CODEC + ".ModelDecoder", writer.decoder("ModelDecoder"));
        write(CODEC + ".ModelEncoder", writer.encoder("ModelEncoder"));
        write(VALIDATE + ".Json", writer.names(VALIDATE, "Json"));
        return false;
    }

    private void write(String className, String source) {
        try (Writer w = processingEnv.getFiler().createSourceFile(className).openWriter()) {
            w.write(source);
        } catch (IOException e) {
            processingEnv.getMessager().printMessage(Diagnostic.Kind.ERROR, "cannot write " + className + ": " + e);
        }
    }
}
