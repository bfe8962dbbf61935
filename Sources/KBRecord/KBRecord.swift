// Placeholder: container engines and the recorder land here (issue 7).
public enum KBRecord {}
