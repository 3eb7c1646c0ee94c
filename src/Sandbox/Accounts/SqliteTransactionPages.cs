using System.Collections.Concurrent;
using System.Data;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Microsoft.EntityFrameworkCore;
using OpenBanking.Sandbox.Bank;
using OpenBanking.Sandbox.Domain;
using OpenBanking.Sandbox.OpenBanking;
using OpenBanking.Sandbox.Infrastructure;
using static OpenBanking.Sandbox.Accounts.AccountInformationMapping;

namespace OpenBanking.Sandbox.Accounts;

/// <summary>
/// The transactions page of one account on SQLite, read with prepared commands and written straight from the rows to
/// JSON: no entities, no payload objects. The bytes are those <see cref="AccountQueries.TransactionPageAsync"/> with
/// <see cref="AccountInformationMapping.ToTransaction"/> and the generated serializer write (the same SQL, the same
/// members in the same order, the same formats), which stays the path for SQL Server and for several accounts.
/// </summary>
/// <remarks>
/// The commands live on connections of their own, kept open here: Microsoft.Data.Sqlite disposes a connection's
/// commands when it closes, and EF Core closes its connection after every query, so commands prepared on the
/// context's connection would be prepared again on every request (SQLite's parse and plan of a 30-column SELECT).
/// Each pooled connection prepares each variant of the SQL (direction filter, window bounds) once. The page itself is
/// stepped through SQLitePCL's raw API, under Microsoft.Data.Sqlite: its reader costs several native calls per column
/// (field count, type, then value) and a string per text column, which the profile showed as most of the page's CPU.
/// The read is synchronous (Microsoft.Data.Sqlite's async is too), so a connection is held only while one request reads.
/// </remarks>
public sealed class SqliteTransactionPages : IDisposable
{
    // A queue and a count of its own: ConcurrentBag's Count locks every thread's list, which showed in the profile.
    private readonly ConcurrentQueue<ReadConnection> _idle = new();
    private int _idleCount;
    private readonly int _maxIdle = Math.Max(4, Environment.ProcessorCount * 2);
    private string? _connectionString;
    private bool _disposed;

    /// <summary>Whether the page can be read here: SQLite in a file (other connections see the same data), one account.</summary>
    public bool Serves(SandboxDbContext db, string[] ids)
    {
        if (ids.Length != 1 || _disposed || !db.Database.IsSqlite())
        {
            return false;
        }

        var connectionString = db.Database.GetConnectionString();
        if (connectionString is null)
        {
            return false;
        }

        if (_connectionString is { } known)
        {
            return string.Equals(known, connectionString, StringComparison.Ordinal);
        }

        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(builder.DataSource) || builder.DataSource == ":memory:" || builder.Mode == SqliteOpenMode.Memory)
        {
            return false;
        }

        Interlocked.CompareExchange(ref _connectionString, connectionString, null);
        return string.Equals(_connectionString, connectionString, StringComparison.Ordinal);
    }

    /// <summary>The page as JSON: Data.Transaction, Links, Meta. The caller has checked <see cref="Serves"/>.</summary>
    public AisJson<TransactionData> Write(
        AisRequest request, AisAccess access, string accountId, TransactionWindow window, bool detail, int page, int pageSize, DateTime now)
    {
        var current = Math.Max(page, 1);
        var credits = access.Has(Consents.AccountAccessPermission.ReadTransactionsCredits);
        var debits = access.Has(Consents.AccountAccessPermission.ReadTransactionsDebits);
        var oneDirection = credits != debits;

        using var buffer = new PooledBufferWriter();
        var connection = Rent();
        try
        {
            // As AccountQueries.TransactionPageAsync: the account's counters, a real count only for a window, then the page.
            var (opening, total) = connection.Counts(accountId, oneDirection, credits, debits, window);
            var totalPages = Math.Max(1, (total + pageSize - 1) / pageSize);
            var firstAvailable = TransactionWindow.Later(opening ?? now, access.Consent.TransactionFromDateTime?.UtcDateTime);
            var lastAvailable = TransactionWindow.Earlier(now, access.Consent.TransactionToDateTime?.UtcDateTime);

            using var writer = new Utf8JsonWriter(buffer, AisJsonWriting.Options);
            writer.WriteStartObject();
            writer.WritePropertyName(Names.Data);
            writer.WriteStartObject();
            writer.WritePropertyName(Names.Transaction);
            writer.WriteStartArray();
            connection.Page(accountId, oneDirection, credits, window, (current - 1) * pageSize, pageSize,
                new TransactionRowWriter(writer, detail, access, request.Codes));
            writer.WriteEndArray();
            writer.WriteEndObject();
            WriteLinks(writer, request.PageLinks(current, totalPages));
            writer.WritePropertyName(Names.Meta);
            writer.WriteStartObject();
            writer.WriteNumber(Names.TotalPages, totalPages);
            writer.WriteString(Names.FirstAvailableDateTime, Utc(firstAvailable));
            writer.WriteString(Names.LastAvailableDateTime, Utc(lastAvailable));
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.Flush();
            Return(connection);
            connection = null;
        }
        finally
        {
            // A connection whose read failed is not trusted again.
            connection?.Dispose();
        }

        return buffer.Detach<TransactionData>();
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryDequeue(out var connection))
        {
            connection.Dispose();
        }
    }

    private static void WriteLinks(Utf8JsonWriter writer, Links links)
    {
        writer.WritePropertyName(Names.Links);
        writer.WriteStartObject();
        writer.WriteString(Names.Self, links.Self);
        WriteIfAny(writer, Names.First, links.First);
        WriteIfAny(writer, Names.Prev, links.Prev);
        WriteIfAny(writer, Names.Next, links.Next);
        WriteIfAny(writer, Names.Last, links.Last);
        writer.WriteEndObject();
    }

    private static void WriteIfAny(Utf8JsonWriter writer, JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private ReadConnection Rent()
    {
        if (_idle.TryDequeue(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return connection;
        }

        return new ReadConnection(_connectionString ?? throw new InvalidOperationException("No SQLite database has been seen yet."));
    }

    private void Return(ReadConnection connection)
    {
        if (_disposed || Interlocked.Increment(ref _idleCount) > _maxIdle)
        {
            if (!_disposed)
            {
                Interlocked.Decrement(ref _idleCount);
            }

            connection.Dispose();
            return;
        }

        _idle.Enqueue(connection);
    }

    /// <summary>An open connection and the commands prepared on it, used by one request at a time.</summary>
    private sealed class ReadConnection : IDisposable
    {
        // The members of a page, numbered as TransactionRowWriter reads them.
        private const string Columns = """
            "AccountId", "TransactionId", "Reference", "IsCredit", "Status", "BookingDateTime", "ValueDateTime", "Information",
            "AmountMinor", "Currency", "BankCode", "BankSubCode", "ProprietaryCode", "BalanceAfterMinor", "MerchantName",
            "MerchantCategoryCode", "CounterpartySchemeName", "CounterpartyIdentification", "CounterpartyName", "CardPan",
            "ChargeMinor", "ChargeCurrency", "FxSourceCurrency", "FxRate", "FxTargetCurrency", "FxUnitCurrency", "FxContractId",
            "FxQuotationDate", "FxInstructedAmount", "FxInstructedCurrency"
            """;

        private readonly SqliteConnection _connection;
        private const string StoredFormat = @"yyyy\-MM\-dd HH\:mm\:ss.FFFFFFF";

        private readonly sqlite3_stmt?[] _pages = new sqlite3_stmt?[8];
        private readonly SqliteCommand?[] _counts = new SqliteCommand?[8];
        private SqliteCommand? _account;

        public ReadConnection(string connectionString)
        {
            _connection = new SqliteConnection(connectionString);
            _connection.Open();
            // The page's statement is stepped here, not by Microsoft.Data.Sqlite (which retries a busy database itself):
            // SQLite waits for a lock as long as a command would.
            raw.sqlite3_busy_timeout(_connection.Handle, _connection.DefaultTimeout * 1000);
        }

        /// <summary>The account's opening date (null when it is not there) and the number of rows the page's filters match.</summary>
        public (DateTime? Opening, int Total) Counts(string accountId, bool oneDirection, bool credits, bool debits, TransactionWindow window)
        {
            var account = _account ??= Prepare("""SELECT "OpeningDate", "TransactionCount", "CreditTransactionCount" FROM "Accounts" WHERE "Id" = $id""", "$id");
            account.Parameters[0].Value = accountId;
            DateTime? opening = null;
            var total = 0;
            using (var reader = account.ExecuteReader(CommandBehavior.SingleRow))
            {
                if (reader.Read())
                {
                    opening = reader.GetDateTime(0);
                    var all = reader.GetInt32(1);
                    var creditCount = reader.GetInt32(2);
                    total = credits && debits ? all : credits ? creditCount : all - creditCount;
                }
            }

            if (window.IsOpen)
            {
                return (opening, total);
            }

            var variant = Variant(oneDirection, window);
            var count = _counts[variant] ??= Prepare("SELECT COUNT(*) FROM \"Transactions\"" + Where(variant), [.. Parameters(variant)]);
            Bind(count, variant, accountId, credits, window);
            return (opening, Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture));
        }

        /// <summary>Writes the page's rows, newest first (the order of the (AccountId, BookingDateTime, Id) index).</summary>
        public void Page(string accountId, bool oneDirection, bool credits, TransactionWindow window, int skip, int take, TransactionRowWriter rows)
        {
            var variant = Variant(oneDirection, window);
            var page = _pages[variant] ??= PrepareRaw(
                $"SELECT {Columns} FROM \"Transactions\"{Where(variant)} ORDER BY \"BookingDateTime\" DESC, \"Id\" DESC LIMIT $take OFFSET $skip");

            // Parameters are numbered in order of appearance: $id, [$credit], [$from], [$to], $take, $skip. A DateTime as
            // Microsoft.Data.Sqlite binds it (and EF Core stores it), so the text comparison is the one EF Core's query makes.
            var index = 1;
            Check(raw.sqlite3_bind_text(page, index++, accountId));
            if (oneDirection)
            {
                Check(raw.sqlite3_bind_int64(page, index++, credits ? 1 : 0));
            }

            if (window.From is { } from)
            {
                Check(raw.sqlite3_bind_text(page, index++, from.ToString(StoredFormat, CultureInfo.InvariantCulture)));
            }

            if (window.To is { } to)
            {
                Check(raw.sqlite3_bind_text(page, index++, to.ToString(StoredFormat, CultureInfo.InvariantCulture)));
            }

            Check(raw.sqlite3_bind_int64(page, index++, take));
            Check(raw.sqlite3_bind_int64(page, index, skip));
            try
            {
                int rc;
                while ((rc = raw.sqlite3_step(page)) == raw.SQLITE_ROW)
                {
                    rows.Write(page);
                }

                Check(rc == raw.SQLITE_DONE ? raw.SQLITE_OK : rc);
            }
            finally
            {
                raw.sqlite3_reset(page);
            }
        }

        public void Dispose()
        {
            foreach (var command in _counts.Append(_account))
            {
                command?.Dispose();
            }

            foreach (var statement in _pages)
            {
                statement?.Dispose();
            }

            // The native connection goes back to Microsoft.Data.Sqlite's pool: as it came.
            raw.sqlite3_busy_timeout(_connection.Handle, 0);
            _connection.Dispose();
        }

        private sqlite3_stmt PrepareRaw(string sql)
        {
            Check(raw.sqlite3_prepare_v3(_connection.Handle, sql, raw.SQLITE_PREPARE_PERSISTENT, out var statement, out _));
            return statement;
        }

        private void Check(int rc) => SqliteException.ThrowExceptionForRC(rc, _connection.Handle);

        // Bit 0: one direction only; bit 1: a lower bound; bit 2: an upper bound. A missing filter is left out of the SQL,
        // as EF Core leaves out a null bound, so SQLite plans each shape for the index.
        private static int Variant(bool oneDirection, TransactionWindow window)
            => (oneDirection ? 1 : 0) | (window.From is null ? 0 : 2) | (window.To is null ? 0 : 4);

        private static string Where(int variant)
            => " WHERE \"AccountId\" = $id"
                + ((variant & 1) != 0 ? " AND \"IsCredit\" = $credit" : "")
                + ((variant & 2) != 0 ? " AND \"BookingDateTime\" >= $from" : "")
                + ((variant & 4) != 0 ? " AND \"BookingDateTime\" <= $to" : "");

        private static List<string> Parameters(int variant)
        {
            List<string> names = ["$id"];
            if ((variant & 1) != 0)
            {
                names.Add("$credit");
            }

            if ((variant & 2) != 0)
            {
                names.Add("$from");
            }

            if ((variant & 4) != 0)
            {
                names.Add("$to");
            }

            return names;
        }

        /// <returns>How many parameters were set.</returns>
        private static int Bind(SqliteCommand command, int variant, string accountId, bool credits, TransactionWindow window)
        {
            // Microsoft.Data.Sqlite writes a DateTime as EF Core stores it (yyyy-MM-dd HH:mm:ss.FFFFFFF), so the text comparison holds.
            var parameters = command.Parameters;
            var i = 0;
            parameters[i++].Value = accountId;
            if ((variant & 1) != 0)
            {
                parameters[i++].Value = credits;
            }

            if (window.From is { } from)
            {
                parameters[i++].Value = from;
            }

            if (window.To is { } to)
            {
                parameters[i++].Value = to;
            }

            return i;
        }

        private SqliteCommand Prepare(string sql, params string[] parameters)
        {
            var command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            command.Prepare();
            return command;
        }
    }

    /// <summary>
    /// One transaction as <see cref="ObTransaction"/> serializes it, from the current row of a page statement: text
    /// columns go from SQLite's UTF-8 straight into the writer (no strings), with the reads Microsoft.Data.Sqlite would
    /// make (<c>DateTime.Parse</c>, <c>decimal.Parse</c> of the text) where a member is rare or stored unusually.
    /// </summary>
    private sealed class TransactionRowWriter(Utf8JsonWriter writer, bool detail, AisAccess access, AisCodes codes)
    {
        private const int AccountId = 0, TransactionId = 1, Reference = 2, IsCredit = 3, Status = 4, BookingDateTime = 5, ValueDateTime = 6,
            Information = 7, AmountMinor = 8, Currency = 9, BankCode = 10, BankSubCode = 11, ProprietaryCode = 12, BalanceAfterMinor = 13,
            MerchantName = 14, MerchantCategoryCode = 15, CounterpartySchemeName = 16, CounterpartyIdentification = 17, CounterpartyName = 18,
            CardPan = 19, ChargeMinor = 20, ChargeCurrency = 21, FxSourceCurrency = 22, FxRate = 23, FxTargetCurrency = 24, FxUnitCurrency = 25,
            FxContractId = 26, FxQuotationDate = 27, FxInstructedAmount = 28, FxInstructedCurrency = 29;

        private static readonly JsonEncodedText Credit = JsonEncodedText.Encode("Credit"), Debit = JsonEncodedText.Encode("Debit"),
            Immutable = JsonEncodedText.Encode("Immutable"), Mutable = JsonEncodedText.Encode("Mutable"),
            SandboxBank = JsonEncodedText.Encode("SandboxBank"), MasterCard = JsonEncodedText.Encode("MasterCard"),
            ConsumerDevice = JsonEncodedText.Encode("ConsumerDevice");

        private readonly bool _readPan = access.Has(Consents.AccountAccessPermission.ReadPAN);
        private readonly JsonEncodedText _booked = JsonEncodedText.Encode(codes.BookedTransaction);
        private readonly JsonEncodedText _pending = JsonEncodedText.Encode(codes.PendingTransaction);
        private readonly JsonEncodedText _interimBooked = JsonEncodedText.Encode(codes.InterimBooked);

        // The last currency seen and its decimal places: a page is nearly always in one currency.
        private string _currency = "";
        private int _exponent;

        public void Write(sqlite3_stmt row)
        {
            writer.WriteStartObject();
            writer.WriteString(Names.AccountId, Text(row, AccountId));
            writer.WriteString(Names.TransactionId, Text(row, TransactionId));
            WriteIfAny(row, Names.TransactionReference, Reference);
            var isCredit = raw.sqlite3_column_int64(row, IsCredit) != 0;
            writer.WriteString(Names.CreditDebitIndicator, isCredit ? Credit : Debit);
            var booked = Text(row, Status).SequenceEqual("Booked"u8);
            writer.WriteString(Names.Status, booked ? _booked : _pending);
            writer.WriteString(Names.TransactionMutability, booked ? Immutable : Mutable);
            writer.WriteString(Names.BookingDateTime, Utc(StoredDateTime(row, BookingDateTime)));
            writer.WriteString(Names.ValueDateTime, Utc(StoredDateTime(row, ValueDateTime)));
            if (detail)
            {
                WriteIfAny(row, Names.TransactionInformation, Information);
            }

            var currency = Text(row, Currency);
            var exponent = Exponent(currency);
            WriteAmount(Names.Amount, raw.sqlite3_column_int64(row, AmountMinor), exponent, currency);

            writer.WritePropertyName(Names.BankTransactionCode);
            writer.WriteStartObject();
            WriteIfAny(row, Names.Code, BankCode);
            WriteIfAny(row, Names.SubCode, BankSubCode);
            writer.WriteEndObject();

            writer.WritePropertyName(Names.ProprietaryBankTransactionCode);
            writer.WriteStartObject();
            WriteIfAny(row, Names.Code, ProprietaryCode);
            writer.WriteString(Names.Issuer, SandboxBank);
            writer.WriteEndObject();

            if (detail)
            {
                WriteDetail(row, isCredit, exponent, currency);
            }

            if (!IsNull(row, CardPan))
            {
                writer.WritePropertyName(Names.CardInstrument);
                writer.WriteStartObject();
                writer.WriteString(Names.CardSchemeName, MasterCard);
                writer.WriteString(Names.AuthorisationType, ConsumerDevice);
                writer.WriteString(Names.Identification, Text(row, CardPan));
                writer.WriteEndObject();
            }

            if (!IsNull(row, ChargeMinor))
            {
                var chargeCurrency = IsNull(row, ChargeCurrency) ? currency : Text(row, ChargeCurrency);
                WriteAmount(Names.ChargeAmount, raw.sqlite3_column_int64(row, ChargeMinor), Exponent(chargeCurrency), chargeCurrency);
            }

            if (!IsNull(row, FxSourceCurrency) && !IsNull(row, FxRate))
            {
                WriteCurrencyExchange(row);
            }

            writer.WriteEndObject();
        }

        private void WriteDetail(sqlite3_stmt row, bool isCredit, int exponent, ReadOnlySpan<byte> currency)
        {
            if (!IsNull(row, BalanceAfterMinor))
            {
                var balance = raw.sqlite3_column_int64(row, BalanceAfterMinor);
                writer.WritePropertyName(Names.Balance);
                writer.WriteStartObject();
                writer.WriteString(Names.CreditDebitIndicator, balance >= 0 ? Credit : Debit);
                writer.WriteString(Names.Type, _interimBooked);
                WriteAmount(Names.Amount, balance, exponent, currency);
                writer.WriteEndObject();
            }

            if (!IsNull(row, MerchantName))
            {
                writer.WritePropertyName(Names.MerchantDetails);
                writer.WriteStartObject();
                writer.WriteString(Names.MerchantName, Text(row, MerchantName));
                WriteIfAny(row, Names.MerchantCategoryCode, MerchantCategoryCode);
                writer.WriteEndObject();
            }

            if (!IsNull(row, CounterpartyIdentification))
            {
                writer.WritePropertyName(isCredit ? Names.DebtorAccount : Names.CreditorAccount);
                writer.WriteStartObject();
                WriteIfAny(row, Names.SchemeName, CounterpartySchemeName);
                var identification = Text(row, CounterpartyIdentification);
                if (!_readPan && Text(row, CounterpartySchemeName).SequenceEqual("UK.OBIE.PAN"u8))
                {
                    // A card number, masked as MaskPan masks it (by characters).
                    writer.WriteString(Names.Identification, MaskPan("UK.OBIE.PAN", Encoding.UTF8.GetString(identification), access));
                }
                else
                {
                    writer.WriteString(Names.Identification, identification);
                }

                WriteIfAny(row, Names.Name, CounterpartyName);
                writer.WriteEndObject();
            }
        }

        private void WriteCurrencyExchange(sqlite3_stmt row)
        {
            writer.WritePropertyName(Names.CurrencyExchange);
            writer.WriteStartObject();
            writer.WriteString(Names.SourceCurrency, Text(row, FxSourceCurrency));
            WriteIfAny(row, Names.TargetCurrency, FxTargetCurrency);
            WriteIfAny(row, Names.UnitCurrency, FxUnitCurrency);
            writer.WriteNumber(Names.ExchangeRate,
                decimal.Parse(Encoding.UTF8.GetString(Text(row, FxRate)), NumberStyles.Number | NumberStyles.AllowExponent, CultureInfo.InvariantCulture));
            WriteIfAny(row, Names.ContractIdentification, FxContractId);
            if (!IsNull(row, FxQuotationDate))
            {
                var quoted = DateTimeOffset.Parse(Encoding.UTF8.GetString(Text(row, FxQuotationDate)), CultureInfo.InvariantCulture);
                writer.WriteString(Names.QuotationDate, Timestamps.WholeSeconds(quoted));
            }

            if (!IsNull(row, FxInstructedAmount) && !IsNull(row, FxInstructedCurrency))
            {
                writer.WritePropertyName(Names.InstructedAmount);
                writer.WriteStartObject();
                writer.WriteString(Names.Amount, Text(row, FxInstructedAmount));
                writer.WriteString(Names.Currency, Text(row, FxInstructedCurrency));
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        private void WriteIfAny(sqlite3_stmt row, JsonEncodedText name, int ordinal)
        {
            if (!IsNull(row, ordinal))
            {
                writer.WriteString(name, Text(row, ordinal));
            }
        }

        /// <summary>An <see cref="ObAmount"/>: <see cref="Money.Format(long, string)"/>'s text, written without a string.</summary>
        private void WriteAmount(JsonEncodedText name, long minor, int exponent, ReadOnlySpan<byte> currency)
        {
            Span<byte> text = stackalloc byte[32];
            var length = FormatAmount(minor, exponent, text);
            writer.WritePropertyName(name);
            writer.WriteStartObject();
            writer.WriteString(Names.Amount, text[..length]);
            writer.WriteString(Names.Currency, currency);
            writer.WriteEndObject();
        }

        private int Exponent(ReadOnlySpan<byte> currency)
        {
            if (!Ascii.Equals(currency, _currency))
            {
                _currency = Encoding.UTF8.GetString(currency);
                _exponent = Currencies.Exponent(_currency);
            }

            return _exponent;
        }

        private static bool IsNull(sqlite3_stmt row, int ordinal) => raw.sqlite3_column_type(row, ordinal) == raw.SQLITE_NULL;

        /// <summary>The column as UTF-8 text (SQLite converts a number to its text); empty for NULL.</summary>
        private static ReadOnlySpan<byte> Text(sqlite3_stmt row, int ordinal) => raw.sqlite3_column_blob(row, ordinal);

        /// <summary>
        /// A DateTime as EF Core stores it on SQLite (yyyy-MM-dd HH:mm:ss with up to seven fraction digits, trailing zeros
        /// dropped), read without the general parser; any other text is read as Microsoft.Data.Sqlite reads it.
        /// </summary>
        private static DateTime StoredDateTime(sqlite3_stmt row, int ordinal)
        {
            var text = Text(row, ordinal);
            return TryParseStored(text, out var value) ? value : DateTime.Parse(Encoding.UTF8.GetString(text), CultureInfo.InvariantCulture);
        }

        private static bool TryParseStored(ReadOnlySpan<byte> s, out DateTime value)
        {
            value = default;
            if (s.Length is < 19 or 20 or > 27 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' || (s.Length > 19 && s[19] != '.'))
            {
                return false;
            }

            if (!Digits(s[..4], out var year) || !Digits(s[5..7], out var month) || !Digits(s[8..10], out var day)
                || !Digits(s[11..13], out var hour) || !Digits(s[14..16], out var minute) || !Digits(s[17..19], out var second)
                || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
                || hour > 23 || minute > 59 || second > 59)
            {
                return false;
            }

            var ticks = 0;
            if (s.Length > 19)
            {
                var fraction = s[20..];
                if (!Digits(fraction, out ticks))
                {
                    return false;
                }

                for (var i = fraction.Length; i < 7; i++)
                {
                    ticks *= 10;
                }
            }

            value = new DateTime(year, month, day, hour, minute, second).AddTicks(ticks);
            return true;
        }

        private static bool Digits(ReadOnlySpan<byte> s, out int value)
        {
            value = 0;
            foreach (var c in s)
            {
                if (c is < (byte)'0' or > (byte)'9')
                {
                    return false;
                }

                value = value * 10 + (c - '0');
            }

            return true;
        }
    }

    /// <summary>The amount as <see cref="Money.Format(long, string)"/> writes it, in UTF-8: the currency's decimal places, no sign.</summary>
    private static int FormatAmount(long minor, int exponent, Span<byte> destination)
    {
        var units = Math.Abs(minor);
        if (exponent == 0)
        {
            units.TryFormat(destination, out var whole, default, CultureInfo.InvariantCulture);
            return whole;
        }

        var perMajor = exponent == 3 ? 1000 : 100;
        (units / perMajor).TryFormat(destination, out var written, default, CultureInfo.InvariantCulture);
        destination[written++] = (byte)'.';
        (units % perMajor).TryFormat(destination[written..], out var fraction, exponent == 3 ? "D3" : "D2", CultureInfo.InvariantCulture);
        return written + fraction;
    }

    /// <summary>The member names, encoded once.</summary>
    private static class Names
    {
        public static readonly JsonEncodedText Data = E("Data"), Transaction = E("Transaction"), Links = E("Links"), Meta = E("Meta"),
            Self = E("Self"), First = E("First"), Prev = E("Prev"), Next = E("Next"), Last = E("Last"), TotalPages = E("TotalPages"),
            FirstAvailableDateTime = E("FirstAvailableDateTime"), LastAvailableDateTime = E("LastAvailableDateTime"),
            AccountId = E("AccountId"), TransactionId = E("TransactionId"), TransactionReference = E("TransactionReference"),
            CreditDebitIndicator = E("CreditDebitIndicator"), Status = E("Status"), TransactionMutability = E("TransactionMutability"),
            BookingDateTime = E("BookingDateTime"), ValueDateTime = E("ValueDateTime"), TransactionInformation = E("TransactionInformation"),
            Amount = E("Amount"), Currency = E("Currency"), BankTransactionCode = E("BankTransactionCode"), Code = E("Code"),
            SubCode = E("SubCode"), ProprietaryBankTransactionCode = E("ProprietaryBankTransactionCode"), Issuer = E("Issuer"),
            Balance = E("Balance"), Type = E("Type"), MerchantDetails = E("MerchantDetails"), MerchantName = E("MerchantName"),
            MerchantCategoryCode = E("MerchantCategoryCode"), CreditorAccount = E("CreditorAccount"), DebtorAccount = E("DebtorAccount"),
            SchemeName = E("SchemeName"), Identification = E("Identification"), Name = E("Name"), CardInstrument = E("CardInstrument"),
            CardSchemeName = E("CardSchemeName"), AuthorisationType = E("AuthorisationType"), ChargeAmount = E("ChargeAmount"),
            CurrencyExchange = E("CurrencyExchange"), SourceCurrency = E("SourceCurrency"), TargetCurrency = E("TargetCurrency"),
            UnitCurrency = E("UnitCurrency"), ExchangeRate = E("ExchangeRate"), ContractIdentification = E("ContractIdentification"),
            QuotationDate = E("QuotationDate"), InstructedAmount = E("InstructedAmount");

        private static JsonEncodedText E(string name) => JsonEncodedText.Encode(name);
    }
}
