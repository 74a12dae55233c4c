#!/usr/bin/env python3
"""Writes the lab's fleet: N portals as name-based virtual hosts on a few ports, with a seeded mix of
the flaw cases. Output (in DIR): nginx.conf, inventory.yaml, expected.tsv (url, case, verdict).
Usage: lab-fleet.py DIR N SEED PKI SLOW_PORT"""
import random
import sys

out, count, seed, pki, slow_port = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
# case: (share %, https port, http port, expected verdict with the default 10 s budget, and with 60 s)
CASES = {
    "exemplary": (39, 18600, 18650, "pass"),
    "spam-hidden": (2, 18600, 18650, "fail"),  # betting terms in a block pushed off-screen: content.spam-injection
    "spam-footer": (1, 18600, 18650, "fail"),  # links out to betting sites in the footer
    "spam-deep": (1, 18600, 18650, "fail"),  # the newest article of the sitemap carries the spam, not the home page
    "trap-betting-news": (2, 18600, 18650, "pass"),  # a police story about a betting ring: not spam
    "trap-lottery": (1, 18600, 18650, "pass"),  # the state lottery's results: not spam
    "no-headers": (10, 18600, 18650, "warn"),
    "insecure-cookies": (8, 18600, 18650, "warn"),
    "no-redirect": (6, 18600, 18657, "fail"),
    "legacy-tls": (8, 18601, 18651, "fail"),
    "expired": (6, 18602, 18652, "fail"),
    "wrong-host": (5, 18603, 18653, "fail"),
    "self-signed": (5, 18604, 18654, "fail"),
    "down": (4, 18606, 18656, "fail"),
    # answers after 5 s: availability.response-time (recommended) fails; the 10 s budget leaves no time to ask
    # the page again as a crawler, and cloaking, a recommendation, undetermined, withholds nothing
    "slow": (3, 18605, 18655, "warn"),
}
CERT = {18600: "fleet-good", 18601: "fleet-good", 18602: "fleet-expired", 18603: "fleet-wrong",
        18604: "fleet-self", 18605: "fleet-good"}
COMMUNES = ["Yên Thái", "Định Tân", "Quảng Phú", "Hoằng Hóa", "Nga Sơn", "Thiệu Toán", "Đông Tiến", "Ngọc Lặc",
            "Cẩm Thủy", "Bá Thước", "Quan Sơn", "Mường Lát", "Như Xuân", "Thường Xuân", "Lang Chánh", "Hà Trung"]

rng = random.Random(seed)
weights = [share for share, *_ in CASES.values()]
names = list(CASES)
portals = []
for i in range(1, count + 1):
    case = rng.choices(names, weights)[0]
    host = f"xa-{i:04d}.thanhhoa.gov.vn"
    portals.append((host, case))

MODERN = ("ssl_protocols TLSv1.2 TLSv1.3; ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
          "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305;")
LEGACY = (f"ssl_protocols TLSv1 TLSv1.1 TLSv1.2; ssl_ciphers ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-SHA:"
          f"DHE-RSA-AES128-SHA:AES128-SHA:AES256-SHA:@SECLEVEL=0; ssl_prefer_server_ciphers on; ssl_dhparam {pki}/dh1024.pem;")
GOOD_HEADERS = ("add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always; "
                "add_header Content-Security-Policy \"default-src 'self'; object-src 'none'; base-uri 'self'; "
                "frame-ancestors 'self'\" always; "
                "add_header X-Frame-Options SAMEORIGIN always; add_header X-Content-Type-Options nosniff always; "
                "add_header Referrer-Policy strict-origin-when-cross-origin always; "
                "add_header Permissions-Policy \"camera=(), microphone=(), geolocation=()\" always; "
                "add_header Set-Cookie \"PHPSESSID=lab; Path=/; Secure; HttpOnly; SameSite=Lax\" always;")
BAD_HEADERS = "server_tokens on; add_header X-Powered-By \"PHP/5.6.40\" always;"
BAD_COOKIES = GOOD_HEADERS.replace("Path=/; Secure; HttpOnly; SameSite=Lax", "path=/")

def block(listen, names_, body):
    return (f"    server {{\n        listen 127.0.0.1:{listen}{body[0]};\n        listen [::1]:{listen}{body[0]};\n"
            f"        server_name {' '.join(names_)};\n{body[1]}\n    }}\n")

by_case = {case: [h for h, c in portals if c == case] for case in CASES}

# The spam cases and their traps: the fleet's site (home page, sitemap, articles) with a block added to one
# page: the home page, or (spam-deep) the sitemap's newest article.
FOOTER_LINKS = ('<div class="lienket"><a href="https://nhacai-uytin.example/">nhà cái uy tín</a> · '
                '<a href="https://fb88.example/">FB88</a> · <a href="https://taixiu-online.example/">tài xỉu online</a></div>')
PAGES = {
    "spam-hidden": ("index.html", '<div style="position:absolute;left:-9999px">Nhà cái uy tín – cá cược bóng đá – '
                    'tài xỉu – n ổ h ũ đổi thưởng – soi cầu lô đề</div>'),
    "spam-footer": ("index.html", FOOTER_LINKS),
    "spam-deep": ("tin-tuc/bai-1.html", FOOTER_LINKS),
    "trap-betting-news": ("index.html", '<article><h3>Triệt phá đường dây cá cược bóng đá</h3><p>Công an tỉnh bắt giữ '
                          '12 đối tượng tổ chức đánh bạc qua mạng; người dân tránh xa các trang cá cược trái phép.</p></article>'),
    "trap-lottery": ("index.html", '<h2>Kết quả xổ số kiến thiết</h2><p>Kết quả xổ số kiến thiết Thanh Hóa: giải đặc '
                     'biệt 052814, giải nhất 63902. Công ty Xổ số kiến thiết tỉnh thông báo lịch trả thưởng.</p>'),
}
import os
import shutil
for case, (name, extra) in PAGES.items():
    shutil.rmtree(f"{out}/www-{case}", ignore_errors=True)
    shutil.copytree(f"{out}/www", f"{out}/www-{case}")
    path = f"{out}/www-{case}/{name}"
    html = open(path, encoding="utf-8").read()
    with open(path, "w", encoding="utf-8") as page:
        page.write(html.replace("</main>", extra + "</main>", 1))
conf = [f"""worker_processes 2;
pid {out}/nginx.pid;
error_log {out}/error.log warn;
events {{ worker_connections 8192; }}
http {{
    access_log {out}/access.log;
    client_body_temp_path {out}/tmp/body; proxy_temp_path {out}/tmp/proxy; fastcgi_temp_path {out}/tmp/fastcgi;
    uwsgi_temp_path {out}/tmp/uwsgi; scgi_temp_path {out}/tmp/scgi;
    server_names_hash_max_size 65536; server_names_hash_bucket_size 128;
    default_type text/html; charset utf-8; server_tokens off;
    ssl_session_cache off; ssl_session_tickets off;
"""]
for case, (_, https, http, _) in CASES.items():
    hosts = by_case[case] or ["unused-" + case + ".invalid"]
    if case == "down":
        continue
    cert = CERT[https]
    tls = LEGACY if case == "legacy-tls" else MODERN
    headers = {"no-headers": BAD_HEADERS, "insecure-cookies": BAD_COOKIES}.get(case, GOOD_HEADERS)
    content = f"proxy_pass http://127.0.0.1:{slow_port}; proxy_read_timeout 60s;" if case == "slow" else ""
    root = f"root {out}/www{'-' + case if case in PAGES else ''}; index index.html;"
    body = (f"        ssl_certificate {pki}/{cert}.pem; ssl_certificate_key {pki}/{cert}.key;\n        {tls}\n"
            f"        {headers}\n        location / {{ {content or root} }}")
    conf.append(block(https, hosts, (" ssl http2", body)))
    if case == "no-redirect":
        conf.append(block(http, hosts, ("", f"        {root}")))
    else:
        conf.append(block(http, hosts, ("", f"        return 301 https://$host:{https}$request_uri;")))
conf.append("}\n")
open(f"{out}/nginx.conf", "w").write("".join(conf))

with open(f"{out}/inventory.yaml", "w") as inv, open(f"{out}/expected.tsv", "w") as exp:
    inv.write("# The lab fleet: generated by scripts/lab fleet; every name is pinned to 127.0.0.1.\n")
    inv.write('defaults: { province: "Tỉnh Thanh Hóa (lab)", level: 2, address: "127.0.0.1,::1" }\nportals:\n')
    for i, (host, case) in enumerate(portals):
        _, https, http, verdict = CASES[case]
        commune = COMMUNES[i % len(COMMUNES)]
        url = f"https://{host}:{https}/"
        inv.write(f'  - url: {url}\n    http_port: {http}\n    name: "Trang thông tin điện tử xã {commune} ({i + 1})"\n'
                  f'    commune: "Xã {commune}"\n')
        exp.write(f"{url}\t{case}\t{verdict}\n")
