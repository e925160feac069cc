// A small bundled list of the most common passwords (from public breach corpora), refused by the
// customer password policy. Compared case-insensitively.
export const COMMON_PASSWORDS = new Set(
  `123456 123456789 12345678 password qwerty123 qwerty 111111 12345 1234567 123123 1234567890 000000 abc123 password1
  iloveyou 1q2w3e4r 1qaz2wsx qwertyuiop 123321 654321 666666 7777777 121212 987654321 superman dragon monkey letmein
  football baseball welcome welcome1 admin admin123 login princess sunshine master shadow michael jennifer trustno1
  passw0rd p@ssw0rd p@ssword password123 password12 password1234 qwerty12345 zaq12wsx asdfghjkl asdfgh zxcvbnm
  starwars whatever freedom hello123 charlie donald loveme access 696969 mustang batman solo ninja azerty
  bitcoin bitcoin123 crypto crypto123 satoshi hodl hodlhodl tothemoon lambo ethereum blockchain binance coinbase
  bitmex bitmex123 changeme changeme123 secret secret123 letmein123 default 11111111 88888888 12341234 1111111111
  qwe123 abcd1234 aa123456 a123456 123qwe 123abc 1234qwer q1w2e3r4 q1w2e3r4t5 1q2w3e4r5t 1q2w3e password!
  iloveyou1 trustno1! welcome123 summer2024 winter2024 spring2025 autumn2025 summer2025 winter2025 summer2026 winter2026
  correcthorsebatterystaple correct horse battery staple`
    .split(/\s+/)
    .filter(Boolean),
);
