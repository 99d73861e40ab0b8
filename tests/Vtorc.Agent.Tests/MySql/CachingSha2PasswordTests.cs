using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using MySqlConnector;
using Vtorc.Agent.MySql;

namespace Vtorc.Agent.Tests.MySql;

/// <summary>
/// MySQL 8's default authentication, <c>caching_sha2_password</c>, against a scripted fake server (there is no MySQL 8
/// server in this environment): the agent's connection options must log in with the fast path (scramble of a cached
/// password), fail with a clear error naming the server and user when the password is wrong, and, when the server asks
/// for the full exchange over TCP without TLS, send the password only encrypted with the server's RSA key (which the
/// driver fetches on a loopback connection only; towards another host it refuses, so use TLS or the unix socket there).
/// </summary>
public sealed class CachingSha2PasswordTests
{
    private const string User = "vt_dba";
    private const string Password = "s3cret-pw";

    [Fact]
    public async Task Logs_in_with_the_fast_path_when_the_scramble_matches()
    {
        await using var server = FakeMySql8Server.Start(Password, fullAuthentication: false);

        await using var connection = await MySqlCalls.OpenAsync(OptionsFor(server.Port, Password), Deadline.In());

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.Equal(FakeMySql8Server.Version, connection.ServerVersion);
        Assert.Equal(User, server.LoggedInUser);
        Assert.Equal("1", (await connection.QueryAsync("SELECT 1", Deadline.In())).Rows[0][0]);
    }

    [Fact]
    public async Task A_wrong_password_fails_with_errno_1045_naming_server_and_user_without_the_password()
    {
        await using var server = FakeMySql8Server.Start(Password, fullAuthentication: false);

        var error = await Assert.ThrowsAsync<MySqlCallException>(() => MySqlCalls.OpenAsync(OptionsFor(server.Port, "wrong-pw"), Deadline.In()));

        Assert.Equal(MySqlErrorCode.AccessDenied, error.ErrorCode);
        Assert.Contains($"connecting to 127.0.0.1:{server.Port} as user '{User}'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Full_authentication_sends_the_password_rsa_encrypted_never_in_clear()
    {
        await using var server = FakeMySql8Server.Start(Password, fullAuthentication: true);

        await using var connection = await MySqlCalls.OpenAsync(OptionsFor(server.Port, Password), Deadline.In());

        Assert.Equal(System.Data.ConnectionState.Open, connection.State);
        Assert.True(server.ReceivedEncryptedPassword);
        Assert.False(server.ReceivedClearTextPassword);
    }

    private static MySqlConnectionOptions OptionsFor(int port, string password) => new()
    {
        Host = "127.0.0.1",
        Port = port,
        User = User,
        Password = password,
        ConnectTimeout = TimeSpan.FromSeconds(10),
    };

    /// <summary>
    /// A fake for this unit test only: speaks just enough of the MySQL 8 protocol (handshake v10 announcing
    /// caching_sha2_password, its fast or full authentication answer, OK to every later command).
    /// </summary>
    private sealed class FakeMySql8Server : IAsyncDisposable
    {
        public const string Version = "8.0.36";

        private const uint Capabilities = 0x1 /* LONG_PASSWORD */ | 0x200 /* PROTOCOL_41 */ | 0x2000 /* TRANSACTIONS */
            | 0x8000 /* SECURE_CONNECTION */ | 0x10000 /* MULTI_STATEMENTS */ | 0x20000 /* MULTI_RESULTS */ | 0x80000 /* PLUGIN_AUTH */
            | 0x200000 /* PLUGIN_AUTH_LENENC_CLIENT_DATA */;

        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly string _password;
        private readonly bool _fullAuthentication;
        private readonly CancellationTokenSource _stop = new();
        private Task _serving = Task.CompletedTask;

        private FakeMySql8Server(string password, bool fullAuthentication)
        {
            _password = password;
            _fullAuthentication = fullAuthentication;
        }

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public string? LoggedInUser { get; private set; }

        public bool ReceivedClearTextPassword { get; private set; }

        public bool ReceivedEncryptedPassword { get; private set; }

        public static FakeMySql8Server Start(string password, bool fullAuthentication)
        {
            var server = new FakeMySql8Server(password, fullAuthentication);
            server._listener.Start();
            server._serving = server.ServeAsync();
            return server;
        }

        private async Task ServeAsync()
        {
            using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            await using var stream = client.GetStream();
            var nonce = RandomNumberGenerator.GetBytes(20);
            for (var i = 0; i < nonce.Length; i++)
            {
                // Scramble bytes are printable and never NUL, as servers send them.
                nonce[i] = (byte)(0x21 + (nonce[i] % 0x5e));
            }
            await WriteAsync(stream, 0, Handshake(nonce));

            var (_, response) = await ReadAsync(stream);
            var user = ReadNulTerminated(response, 32, out var next);
            // Length-encoded (PLUGIN_AUTH_LENENC_CLIENT_DATA) or one length byte: the same single byte below 251.
            int scrambleLength = response[next++];
            var scramble = response.AsSpan(next, scrambleLength).ToArray();
            LoggedInUser = user;

            if (_fullAuthentication)
            {
                // perform_full_authentication: the client asks for the RSA public key (0x02) and sends the password
                // encrypted with it, XORed with the nonce.
                await WriteAsync(stream, 2, [0x01, 0x04]);
                var (keyRequestSequence, keyRequest) = await ReadAsync(stream);
                ReceivedClearTextPassword |= Encoding.UTF8.GetString(keyRequest).Contains(_password, StringComparison.Ordinal);
                Assert.Equal([0x02], keyRequest);
                using var rsa = RSA.Create(2048);
                await WriteAsync(stream, (byte)(keyRequestSequence + 1), [0x01, .. Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem())]);
                var (passwordSequence, encrypted) = await ReadAsync(stream);
                ReceivedClearTextPassword |= Encoding.UTF8.GetString(encrypted).Contains(_password, StringComparison.Ordinal);
                var plain = rsa.Decrypt(encrypted, RSAEncryptionPadding.OaepSHA1);
                for (var i = 0; i < plain.Length; i++)
                {
                    plain[i] ^= nonce[i % nonce.Length];
                }
                ReceivedEncryptedPassword = plain.AsSpan().SequenceEqual((byte[])[.. Encoding.UTF8.GetBytes(_password), 0]);
                await WriteAsync(stream, (byte)(passwordSequence + 1), ReceivedEncryptedPassword
                    ? Ok()
                    : Error(1045, "28000", $"Access denied for user '{user}'@'localhost' (using password: YES)"));
            }
            else
            {
                if (!scramble.AsSpan().SequenceEqual(ExpectedScramble(_password, nonce)))
                {
                    await WriteAsync(stream, 2, Error(1045, "28000", $"Access denied for user '{user}'@'localhost' (using password: YES)"));
                    return;
                }
                await WriteAsync(stream, 2, [0x01, 0x03]);
                await WriteAsync(stream, 3, Ok());
            }
            while (!_stop.IsCancellationRequested)
            {
                var (sequence, command) = await ReadAsync(stream);
                switch (command[0])
                {
                    case 0x01: // COM_QUIT
                        return;
                    case 0x03 when Encoding.UTF8.GetString(command, 1, command.Length - 1) == "SELECT 1":
                        await WriteSelectOneAsync(stream);
                        break;
                    default:
                        await WriteAsync(stream, (byte)(sequence + 1), Ok());
                        break;
                }
            }
        }

        /// <summary>XOR(SHA256(password), SHA256(SHA256(SHA256(password)) || nonce)), what the client must send.</summary>
        private static byte[] ExpectedScramble(string password, byte[] nonce)
        {
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(password));
            var hashHash = SHA256.HashData(hash);
            var mix = SHA256.HashData([.. hashHash, .. nonce]);
            for (var i = 0; i < hash.Length; i++)
            {
                hash[i] ^= mix[i];
            }
            return hash;
        }

        private static byte[] Handshake(byte[] nonce)
        {
            var payload = new List<byte> { 10 };
            payload.AddRange(Encoding.ASCII.GetBytes(Version));
            payload.Add(0);
            payload.AddRange(BitConverter.GetBytes(42)); // connection id
            payload.AddRange(nonce[..8]);
            payload.Add(0);
            payload.AddRange(BitConverter.GetBytes((ushort)(Capabilities & 0xffff)));
            payload.Add(255); // utf8mb4_0900_ai_ci
            payload.AddRange(BitConverter.GetBytes((ushort)0x0002)); // autocommit
            payload.AddRange(BitConverter.GetBytes((ushort)(Capabilities >> 16)));
            payload.Add(21);
            payload.AddRange(new byte[10]);
            payload.AddRange(nonce[8..]);
            payload.Add(0);
            payload.AddRange(Encoding.ASCII.GetBytes("caching_sha2_password"));
            payload.Add(0);
            return [.. payload];
        }

        private static byte[] Ok() => [0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00];

        private static byte[] Error(ushort code, string sqlState, string message) =>
            [0xff, .. BitConverter.GetBytes(code), (byte)'#', .. Encoding.ASCII.GetBytes(sqlState), .. Encoding.UTF8.GetBytes(message)];

        private static async Task WriteSelectOneAsync(NetworkStream stream)
        {
            // One column "1" (BIGINT), one row "1", each part ended by an EOF packet (no DEPRECATE_EOF announced).
            byte[] column = [.. LengthEncoded("def"), .. LengthEncoded(""), .. LengthEncoded(""), .. LengthEncoded(""), .. LengthEncoded("1"),
                .. LengthEncoded(""), 0x0c, 0x3f, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x81, 0x00, 0x00, 0x00, 0x00];
            byte[] eof = [0xfe, 0x00, 0x00, 0x02, 0x00];
            await WriteAsync(stream, 1, [0x01]);
            await WriteAsync(stream, 2, column);
            await WriteAsync(stream, 3, eof);
            await WriteAsync(stream, 4, [.. LengthEncoded("1")]);
            await WriteAsync(stream, 5, eof);
        }

        private static byte[] LengthEncoded(string text) => [(byte)Encoding.UTF8.GetByteCount(text), .. Encoding.UTF8.GetBytes(text)];

        private static string ReadNulTerminated(byte[] data, int start, out int next)
        {
            var end = Array.IndexOf(data, (byte)0, start);
            next = end + 1;
            return Encoding.UTF8.GetString(data, start, end - start);
        }

        private static async Task WriteAsync(NetworkStream stream, byte sequence, byte[] payload)
        {
            var header = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(header, payload.Length);
            header[3] = sequence;
            await stream.WriteAsync(header);
            await stream.WriteAsync(payload);
        }

        private static async Task<(byte Sequence, byte[] Payload)> ReadAsync(NetworkStream stream)
        {
            var header = new byte[4];
            await stream.ReadExactlyAsync(header);
            var length = header[0] | (header[1] << 8) | (header[2] << 16);
            var payload = new byte[length];
            await stream.ReadExactlyAsync(payload);
            return (header[3], payload);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try
            {
                await _serving;
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or EndOfStreamException or SocketException)
            {
                // The client closed its side first.
            }
            _stop.Dispose();
        }
    }
}
