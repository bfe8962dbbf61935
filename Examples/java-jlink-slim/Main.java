/** Hello world in Java: one class, no dependencies beyond java.base. */
public class Main {
    public static void main(String[] args) {
        System.out.println("Hello, world!");
    }
}
