//! Keyword extraction over 100,000 ticket texts (subject + description, or a feedback
//! comment, 20–80 characters of Chinese with some English): time to count every text and
//! take the top 20. Run with `bench/keywords.sh`; `PULSEDESK_BENCH_TEXTS` overrides the size.

use pulsedesk_keywords::Extractor;
use std::time::Instant;

const PIECES: &[&str] = &[
    "快递三天没有更新",
    "物流信息一直停在中转站",
    "申请退款一周了还没到账",
    "退款流程太复杂",
    "等待时间太长",
    "发票抬头写错了需要重开",
    "会员积分没有到账",
    "App 闪退，无法登录",
    "客服响应慢，打了三次电话",
    "包裹破损，里面的杯子碎了",
    "想修改收货地址",
    "优惠券无法使用",
    "订单被取消但是已经扣款",
    "The parcel has not arrived yet",
    "refund still pending after two weeks",
    "密码重置的短信收不到",
    "商品与描述不符，要求退货",
    "售后维修进度查不到",
];

/// A small deterministic generator (xorshift), so every run counts the same texts.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        usize::try_from(self.0 % 1_000_003).unwrap_or(0)
    }
}

fn main() {
    let n: usize = std::env::var("PULSEDESK_BENCH_TEXTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let mut rng = Rng(0x2026_1124);
    let texts: Vec<String> = (0..n)
        .map(|i| {
            let parts = 1 + rng.next() % 3;
            let mut t = String::new();
            for _ in 0..parts {
                t.push_str(PIECES[rng.next() % PIECES.len()]);
                t.push('，');
            }
            t.push_str(&format!("单号 CS2026{:06}", i));
            t
        })
        .collect();
    let chars: usize = texts.iter().map(|t| t.chars().count()).sum();

    let started = Instant::now();
    let x = Extractor::new();
    let load = started.elapsed();
    let mut runs = Vec::new();
    let mut top = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let mut c = x.counter();
        for text in &texts {
            c.add(text);
        }
        top = c.top(20);
        runs.push(t.elapsed());
    }
    runs.sort();
    println!("| figure | measured |");
    println!("| --- | --- |");
    println!("| texts | {n} ({chars} characters) |");
    println!(
        "| dictionary load | {:.0} ms |",
        load.as_secs_f64() * 1000.0
    );
    println!(
        "| extract + top 20, median of 3 | {:.2} s |",
        runs[1].as_secs_f64()
    );
    println!(
        "| top terms | {} |",
        top.iter()
            .take(5)
            .map(|t| format!("{} ({})", t.term, t.texts))
            .collect::<Vec<_>>()
            .join(", ")
    );
}
