/** Prints the class-file version this class was compiled to. */
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

public class Main {
    public static void main(String[] args) throws IOException {
        try (InputStream raw = Main.class.getResourceAsStream("Main.class");
             DataInputStream in = new DataInputStream(raw)) {
            in.readInt();                 // magic number 0xCAFEBABE
            in.readUnsignedShort();       // minor version
            int major = in.readUnsignedShort();
            System.out.printf("class file version %d (Java %d)%n", major, major - 44);
        }
    }
}
