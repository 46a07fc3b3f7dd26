package dev.jrun.packaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * UpgradeBytecode IN.jar OUT.jar: rewrites every class of a jar as Java 8 class files with
 * stack map frames, leaving the code itself unchanged.
 *
 * Why: picocli ships Java 5 class files.  The JVM verifies those with the old type-inferring
 * verifier on every start, even from a class data archive (about 10 ms of each jrun call);
 * class files with frames are verified once, when the archive is made.  packaging/assemble.sh
 * runs it, with this module's ASM.
 */
public final class UpgradeBytecode {
    private UpgradeBytecode() {
    }

    public static void main(String[] args) throws IOException {
        Path in = Path.of(args[0]);
        Path out = Path.of(args[1]);
        try (JarFile jar = new JarFile(in.toFile());
                URLClassLoader loader = new URLClassLoader(new URL[] {in.toUri().toURL()}, null);
                OutputStream file = Files.newOutputStream(out);
                JarOutputStream dest = new JarOutputStream(file)) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry entry = entries.nextElement();
                byte[] bytes;
                try (InputStream s = jar.getInputStream(entry)) {
                    bytes = s.readAllBytes();
                }
                // module-info and multi-release variants are already modern; signatures would break
                if (entry.getName().endsWith(".class") && !entry.getName().startsWith("META-INF/")) {
                    bytes = upgrade(bytes, loader);
                }
                if (entry.getName().startsWith("META-INF/") && (entry.getName().endsWith(".SF")
                        || entry.getName().endsWith(".RSA") || entry.getName().endsWith(".DSA"))) {
                    continue;
                }
                dest.putNextEntry(new JarEntry(entry.getName()));
                dest.write(bytes);
                dest.closeEntry();
            }
        }
    }

    static byte[] upgrade(byte[] classFile, ClassLoader loader) {
        ClassReader reader = new ClassReader(classFile);
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_FRAMES) {
            /** Frames need common superclasses; resolve them without initializing anything. */
            @Override
            protected String getCommonSuperClass(String a, String b) {
                try {
                    Class<?> c = Class.forName(a.replace('/', '.'), false, loader);
                    Class<?> d = Class.forName(b.replace('/', '.'), false, loader);
                    if (c.isAssignableFrom(d)) {
                        return a;
                    }
                    if (d.isAssignableFrom(c)) {
                        return b;
                    }
                    if (c.isInterface() || d.isInterface()) {
                        return "java/lang/Object";
                    }
                    do {
                        c = c.getSuperclass();
                    } while (!c.isAssignableFrom(d));
                    return c.getName().replace('.', '/');
                } catch (ClassNotFoundException e) {
                    return "java/lang/Object";
                }
            }
        };
        reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public void visit(int version, int access, String name, String signature, String superName,
                    String[] interfaces) {
                int major = version & 0xffff;
                super.visit(Math.max(major, Opcodes.V1_8), access, name, signature, superName, interfaces);
            }
        }, ClassReader.SKIP_FRAMES);
        return writer.toByteArray();
    }
}
