/// The console's one stylesheet: system fonts, no web fonts or images to
/// fetch (air-gapped labs), a single column on a phone.
enum Stylesheet {
    static let text = """
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d232a;background:#f6f7f9}
        header{background:#1f3347}
        nav{display:flex;flex-wrap:wrap;gap:.2rem .9rem;align-items:center;max-width:80rem;margin:0 auto;padding:.6rem 1rem}
        nav a{color:#dfe7ef;text-decoration:none;padding:.2rem 0}
        nav a[aria-current=page]{color:#fff;border-bottom:2px solid #7fb3e6}
        nav .brand{font-weight:700;color:#fff;margin-right:.6rem}
        nav .who{margin-left:auto;color:#b9c6d3}
        main{max-width:80rem;margin:0 auto;padding:1rem}
        h1{font-size:1.4rem;margin:.4rem 0 1rem}
        h2{font-size:1.15rem;margin:1.6rem 0 .6rem}
        a{color:#1f5d99}
        table{border-collapse:collapse;width:100%;background:#fff;margin:.4rem 0 1rem}
        th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e3e6ea;vertical-align:top}
        th{background:#eef1f4;font-weight:600}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        .scroll{overflow-x:auto}
        form.filters,form.panel{display:flex;flex-wrap:wrap;gap:.5rem .8rem;align-items:flex-end;background:#fff;padding:.7rem;border:1px solid #e3e6ea;margin:.4rem 0 1rem}
        form.inline{display:inline}
        label{display:flex;flex-direction:column;font-size:.85rem;color:#4a5561;gap:.15rem}
        label.check{flex-direction:row;align-items:center;gap:.3rem}
        input,select,textarea,button{font:inherit;padding:.3rem .45rem;border:1px solid #b8c0c8;border-radius:3px;background:#fff}
        button{background:#1f5d99;color:#fff;border-color:#1f5d99;cursor:pointer}
        button.danger{background:#a33;border-color:#a33}
        nav button{background:transparent;color:#dfe7ef;border-color:#5f7488;padding:.1rem .5rem}
        form.login{max-width:22rem;display:flex;flex-direction:column;gap:.7rem;background:#fff;padding:1rem;border:1px solid #e3e6ea}
        .notice{background:#e7f3e9;border:1px solid #9cc9a5;padding:.5rem .7rem}
        .error{background:#fbeaea;border:1px solid #d9a0a0;padding:.5rem .7rem}
        .figures{display:flex;flex-wrap:wrap;gap:1rem;margin:.4rem 0 1rem}
        .figure{background:#fff;border:1px solid #e3e6ea;padding:.6rem .9rem;min-width:9rem}
        .figure b{display:block;font-size:1.5rem}
        .grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(9.5rem,1fr));gap:.4rem;margin:.4rem 0 1rem}
        .pc{background:#fff;border:1px solid #e3e6ea;border-left:6px solid #9aa4ae;padding:.35rem .5rem;font-size:.85rem}
        .pc.on{border-left-color:#2e8b57}
        .pc b{display:block}
        .charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,30rem),1fr));gap:1rem}
        figure{margin:0 0 1rem;background:#fff;border:1px solid #e3e6ea;padding:.6rem}
        figcaption{font-weight:600;margin-bottom:.3rem}
        figure svg{width:100%;height:auto;display:block}
        figure.chart svg{max-width:40rem}
        figure.small{display:inline-block;width:15rem;vertical-align:top;margin-right:.5rem}
        figure.small table{font-size:.8rem}
        figure.map svg{background:#dcebf5}
        figure.map.small{width:18rem}
        .sea{fill:#dcebf5}
        .country{stroke:#fff;stroke-width:.4}
        .country.highlighted{stroke:#08306b;stroke-width:1}
        .axis{stroke:#56616c;stroke-width:1}
        .grid{stroke:#e3e6ea}
        svg line.grid{stroke:#e3e6ea}
        .tick{font-size:11px;fill:#4a5561}
        .tick.y{text-anchor:end;dominant-baseline:middle}
        .tick.x{text-anchor:middle}
        .axis-title{font-size:11px;fill:#4a5561;text-anchor:middle}
        .axis-title.y{text-anchor:start}
        /* A chart's svg carries its kind (bar, line) as a class too: shape rules name their element, or the axis text would be stroked. */
        rect.bar{fill:#3b6ea5}
        path.line{fill:none;stroke:#3b6ea5;stroke-width:2}
        circle.point{fill:#3b6ea5}
        svg.swatch{width:.8em;height:.8em;display:inline-block;vertical-align:middle}
        .legend span{margin-right:.6rem;white-space:nowrap;font-size:.85rem}
        details summary{cursor:pointer;font-size:.85rem;color:#4a5561}
        .pager{display:flex;gap:1rem;align-items:center}
        .muted{color:#6b7681}
        @media (max-width:40rem){nav .who{margin-left:0;width:100%}main{padding:.6rem}th,td{padding:.3rem}}
        """
}
