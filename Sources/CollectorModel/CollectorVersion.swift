/// The version every part reports (ping, agent registration, packages).
public enum CollectorVersion {
    public static let string = "0.1.0"
}
