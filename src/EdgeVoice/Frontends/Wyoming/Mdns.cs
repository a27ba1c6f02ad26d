using System.Buffers.Binary;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace EdgeVoice.Frontends.Wyoming;

/// <summary>One DNS resource record as mDNS uses it.</summary>
internal sealed record DnsRecord(string Name, ushort Type, bool CacheFlush, uint Ttl, byte[] Data)
{
    public const ushort A = 1;
    public const ushort Ptr = 12;
    public const ushort Txt = 16;
    public const ushort Srv = 33;
    public const ushort Any = 255;

    /// <summary>The name a PTR record points to, or an SRV record's target.</summary>
    public string? TargetName(byte[] message, int dataOffset) =>
        Type == Ptr ? DnsWire.ReadName(message, dataOffset, out _) : Type == Srv ? DnsWire.ReadName(message, dataOffset + 6, out _) : null;
}

/// <summary>A question of a DNS message.</summary>
internal sealed record DnsQuestion(string Name, ushort Type);

/// <summary>Reads and writes the parts of DNS messages (RFC 1035) that an mDNS responder needs.</summary>
internal static class DnsWire
{
    /// <summary>Reads a (possibly compressed) name; <paramref name="next"/> is the offset after it.</summary>
    public static string ReadName(byte[] message, int offset, out int next)
    {
        var labels = new List<string>();
        next = -1;
        for (var jumps = 0; jumps < 32; jumps++)
        {
            var length = message[offset];
            if (length == 0)
            {
                if (next < 0)
                {
                    next = offset + 1;
                }

                return string.Join('.', labels);
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (next < 0)
                {
                    next = offset + 2;
                }

                offset = ((length & 0x3F) << 8) | message[offset + 1];
                continue;
            }

            labels.Add(Encoding.UTF8.GetString(message, offset + 1, length));
            offset += 1 + length;
        }

        throw new InvalidDataException("a DNS name has too many compression pointers");
    }

    /// <summary>The questions of a query (empty for a response or a message that cannot be read).</summary>
    public static (ushort Id, List<DnsQuestion> Questions) ReadQuery(byte[] message, int length)
    {
        var questions = new List<DnsQuestion>();
        if (length < 12 || (message[2] & 0x80) != 0)
        {
            return (0, questions);
        }

        try
        {
            var count = BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(4));
            var offset = 12;
            for (var i = 0; i < count && offset < length; i++)
            {
                var name = ReadName(message, offset, out offset);
                questions.Add(new DnsQuestion(name, BinaryPrimitives.ReadUInt16BigEndian(message.AsSpan(offset))));
                offset += 4;
            }
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or InvalidDataException or ArgumentException)
        {
            questions.Clear();
        }

        return (BinaryPrimitives.ReadUInt16BigEndian(message), questions);
    }

    /// <summary>Every record of a response (answers and additional records), each with the offset of its data.</summary>
    public static List<(DnsRecord Record, int DataOffset)> ReadRecords(byte[] message)
    {
        var records = new List<(DnsRecord, int)>();
        var span = message.AsSpan();
        var questions = BinaryPrimitives.ReadUInt16BigEndian(span[4..]);
        var count = BinaryPrimitives.ReadUInt16BigEndian(span[6..]) + BinaryPrimitives.ReadUInt16BigEndian(span[8..]) + BinaryPrimitives.ReadUInt16BigEndian(span[10..]);
        var offset = 12;
        for (var i = 0; i < questions; i++)
        {
            ReadName(message, offset, out offset);
            offset += 4;
        }

        for (var i = 0; i < count; i++)
        {
            var name = ReadName(message, offset, out offset);
            var type = BinaryPrimitives.ReadUInt16BigEndian(span[offset..]);
            var klass = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 2)..]);
            var ttl = BinaryPrimitives.ReadUInt32BigEndian(span[(offset + 4)..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(span[(offset + 8)..]);
            offset += 10;
            records.Add((new DnsRecord(name, type, (klass & 0x8000) != 0, ttl, span.Slice(offset, length).ToArray()), offset));
            offset += length;
        }

        return records;
    }

    /// <summary>A response: answers then additional records, names written in full (no compression).</summary>
    public static byte[] Response(ushort id, IReadOnlyList<DnsQuestion> questions, IReadOnlyList<DnsRecord> answers, IReadOnlyList<DnsRecord> additional)
    {
        var message = new List<byte>(512);
        var word = new byte[4];
        void U16(int value)
        {
            BinaryPrimitives.WriteUInt16BigEndian(word, (ushort)value);
            message.AddRange(word.AsSpan(0, 2));
        }

        U16(id);
        U16(0x8400); // a response, authoritative
        U16(questions.Count);
        U16(answers.Count);
        U16(0);
        U16(additional.Count);
        foreach (var question in questions)
        {
            message.AddRange(Name(question.Name));
            U16(question.Type);
            U16(1);
        }

        foreach (var record in answers.Concat(additional))
        {
            message.AddRange(Name(record.Name));
            U16(record.Type);
            U16(record.CacheFlush ? 0x8001 : 0x0001);
            BinaryPrimitives.WriteUInt32BigEndian(word, record.Ttl);
            message.AddRange(word);
            U16(record.Data.Length);
            message.AddRange(record.Data);
        }

        return [.. message];
    }

    /// <summary>A name as labels. The first label of a service instance may hold dots and spaces (RFC 6763 §4.3).</summary>
    public static byte[] Name(string name)
    {
        var result = new List<byte>();
        foreach (var label in Labels(name))
        {
            var bytes = Encoding.UTF8.GetBytes(label);
            result.Add((byte)Math.Min(63, bytes.Length));
            result.AddRange(bytes.Take(63));
        }

        result.Add(0);
        return [.. result];
    }

    /// <summary>The labels of a name; an instance name is kept whole before <c>._wyoming._tcp.local</c>.</summary>
    private static IEnumerable<string> Labels(string name)
    {
        var service = name.IndexOf("._", StringComparison.Ordinal);
        if (service > 0 && !name.StartsWith('_'))
        {
            yield return name[..service];
            name = name[(service + 1)..];
        }

        foreach (var label in name.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            yield return label;
        }
    }
}

/// <summary>
/// A small mDNS responder (RFC 6762, DNS-SD RFC 6763) for one service: it announces
/// <c>INSTANCE._wyoming._tcp.local</c> (PTR, SRV, TXT, and the host's A records) at start, answers
/// queries for it on 224.0.0.251:5353 (by multicast, or by unicast to a legacy or unicast query), and
/// says goodbye (TTL 0) when it stops.
/// </summary>
internal sealed partial class MdnsResponder : IDisposable
{
    public const string ServiceType = "_wyoming._tcp.local";
    private const string Enumeration = "_services._dns-sd._udp.local";
    private const int Port = 5353;
    private static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");

    private readonly ILogger _logger;
    private readonly Socket _socket;

    public MdnsResponder(string instance, string host, int port, ILogger logger)
    {
        _logger = logger;
        Instance = instance;
        HostName = host + ".local";
        ServicePort = port;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    }

    public string Instance { get; }

    public string HostName { get; }

    public int ServicePort { get; }

    public string InstanceName => $"{Instance}.{ServiceType}";

    /// <summary>The records of the advertisement, with the given TTLs (0: goodbye).</summary>
    public IReadOnlyList<DnsRecord> Records(bool goodbye = false)
    {
        uint Ttl(uint ttl) => goodbye ? 0 : ttl;
        var srv = new byte[6];
        BinaryPrimitives.WriteUInt16BigEndian(srv.AsSpan(4), (ushort)ServicePort);
        List<DnsRecord> records =
        [
            new(ServiceType, DnsRecord.Ptr, false, Ttl(4500), DnsWire.Name(InstanceName)),
            new(InstanceName, DnsRecord.Srv, true, Ttl(120), [.. srv, .. DnsWire.Name(HostName)]),
            new(InstanceName, DnsRecord.Txt, true, Ttl(4500), [0]),
            new(Enumeration, DnsRecord.Ptr, false, Ttl(4500), DnsWire.Name(ServiceType)),
        ];
        records.AddRange(Addresses().Select(a => new DnsRecord(HostName, DnsRecord.A, true, Ttl(120), a.GetAddressBytes())));
        return records;
    }

    /// <summary>The answer to a query's questions, or null when none is about this service.</summary>
    public byte[]? Answer(ushort id, IReadOnlyList<DnsQuestion> questions, bool legacy)
    {
        var all = Records();
        var answers = new List<DnsRecord>();
        foreach (var question in questions)
        {
            answers.AddRange(all.Where(r => r.Name.Equals(question.Name, StringComparison.OrdinalIgnoreCase) && (question.Type == DnsRecord.Any || question.Type == r.Type)));
        }

        if (answers.Count == 0)
        {
            return null;
        }

        answers = [.. answers.Distinct()];
        var additional = all.Where(r => !answers.Contains(r) && r.Name != Enumeration && (r.Name != ServiceType || answers.Any(a => a.Name == ServiceType))).ToList();
        return DnsWire.Response(legacy ? id : (ushort)0, legacy ? questions : [], answers, additional);
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _socket.Bind(new IPEndPoint(IPAddress.Any, Port));
        _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
        _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
        Join();
        Log.Advertising(_logger, InstanceName, ServicePort);

        var group = new IPEndPoint(Group, Port);
        var announcement = DnsWire.Response(0, [], Records(), []);
        for (var i = 0; i < 2 && !cancellationToken.IsCancellationRequested; i++)
        {
            await SendAsync(announcement, group, cancellationToken).ConfigureAwait(false);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ContinueWith(static _ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        var buffer = new byte[9000];
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var received = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), cancellationToken).ConfigureAwait(false);
                var (id, questions) = DnsWire.ReadQuery(buffer, received.ReceivedBytes);
                var from = (IPEndPoint)received.RemoteEndPoint;
                var legacy = from.Port != Port;
                if (questions.Count == 0 || Answer(id, questions, legacy) is not { } answer)
                {
                    continue;
                }

                // A legacy query (not from port 5353) is answered to its sender (RFC 6762 §6.7); a full one to the group.
                await SendAsync(answer, legacy ? from : group, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
        finally
        {
            await SendAsync(DnsWire.Response(0, [], Records(goodbye: true), []), group, CancellationToken.None).ConfigureAwait(false);
        }
    }

    public void Dispose() => _socket.Dispose();

    private async Task SendAsync(byte[] message, IPEndPoint to, CancellationToken cancellationToken)
    {
        try
        {
            await _socket.SendToAsync(message, SocketFlags.None, to, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            Log.SendFailed(_logger, to, e.Message);
        }
    }

    private void Join()
    {
        var joined = 0;
        foreach (var address in InterfaceAddresses(includeLoopback: true))
        {
            try
            {
                _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, address));
                joined++;
            }
            catch (SocketException)
            {
                // An interface without multicast.
            }
        }

        if (joined == 0)
        {
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, IPAddress.Any));
        }
    }

    /// <summary>The IPv4 addresses Home Assistant can reach this host at (loopback only when there is no other).</summary>
    private static List<IPAddress> Addresses()
    {
        var addresses = InterfaceAddresses(includeLoopback: false);
        return addresses.Count > 0 ? addresses : [IPAddress.Loopback];
    }

    private static List<IPAddress> InterfaceAddresses(bool includeLoopback)
    {
        var result = new List<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up))
            {
                if (nic.NetworkInterfaceType == NetworkInterfaceType.Loopback && !includeLoopback)
                {
                    continue;
                }

                result.AddRange(nic.GetIPProperties().UnicastAddresses.Select(u => u.Address).Where(a => a.AddressFamily == AddressFamily.InterNetwork));
            }
        }
        catch (NetworkInformationException)
        {
            // No interface list: loopback only.
        }

        return result;
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 8201, Level = LogLevel.Information, Message = "Zeroconf: advertising {Instance} on port {Port}")]
        public static partial void Advertising(ILogger logger, string instance, int port);

        [LoggerMessage(EventId = 8202, Level = LogLevel.Debug, Message = "Zeroconf: could not send to {To}: {Reason}")]
        public static partial void SendFailed(ILogger logger, IPEndPoint to, string reason);
    }
}
