// Placeholder: the BuildKit-compatible parser lands here (issue 3).
public enum KBDockerfile {}
