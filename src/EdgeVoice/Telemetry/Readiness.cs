namespace EdgeVoice.Telemetry;

/// <summary>Whether the daemon can take requests: voices loaded and the broker connected.</summary>
internal sealed class Readiness
{
    private int _voices;
    private int _broker;

    public bool VoicesReady
    {
        get => Volatile.Read(ref _voices) == 1;
        set => Volatile.Write(ref _voices, value ? 1 : 0);
    }

    public bool BrokerConnected
    {
        get => Volatile.Read(ref _broker) == 1;
        set => Volatile.Write(ref _broker, value ? 1 : 0);
    }

    public bool Ready => VoicesReady && BrokerConnected;
}
