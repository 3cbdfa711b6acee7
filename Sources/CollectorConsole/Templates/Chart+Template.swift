extension ConsoleTemplates {
    /// One chart: an SVG drawn on the server (axes, labels, title, unit) and
    /// the same numbers as a table beside it, for screen readers and for
    /// anyone who wants the figures.
    static let chart = """
        <figure class="chart{{#small}} small{{/small}}" id="{{id}}" data-live-id="{{id}}">
        <figcaption>{{title}}{{#unit}} ({{unit}}){{/unit}}</figcaption>
        <div class="chart-body">
        {{#empty}}<p class="empty">No data in this range.</p>{{/empty}}
        {{^empty}}
        <svg viewBox="0 0 {{width}} {{height}}" role="img" aria-labelledby="{{id}}-title" class="{{kind}}">
        <title id="{{id}}-title">{{title}}</title>
        {{#axes}}
        <line class="axis" x1="{{left}}" y1="{{bottom}}" x2="{{right}}" y2="{{bottom}}"/>
        <line class="axis" x1="{{left}}" y1="{{top}}" x2="{{left}}" y2="{{bottom}}"/>
        {{#yTicks}}<line class="grid" x1="{{left}}" y1="{{y}}" x2="{{right}}" y2="{{y}}"/><text class="tick y" x="{{x}}" y="{{y}}">{{label}}</text>{{/yTicks}}
        {{#xTicks}}<text class="tick x" x="{{x}}" y="{{y}}">{{label}}</text>{{/xTicks}}
        <text class="axis-title" x="{{middle}}" y="{{xTitleY}}">{{xTitle}}</text>
        <text class="axis-title y" x="12" y="12">{{yTitle}}</text>
        {{/axes}}
        {{#bars}}<rect class="bar" x="{{x}}" y="{{y}}" width="{{width}}" height="{{height}}" data-key="{{key}}" data-value="{{value}}"><title>{{key}}: {{value}}</title></rect>{{/bars}}
        {{#line}}<path class="line" d="{{line}}"/>{{/line}}
        {{#points}}<circle class="point" cx="{{x}}" cy="{{y}}" r="{{radius}}" data-key="{{key}}" data-value="{{value}}"><title>{{key}}: {{value}}</title></circle>{{/points}}
        {{#slices}}<path class="slice" d="{{path}}" fill="{{fill}}" data-key="{{key}}" data-value="{{value}}"><title>{{key}}: {{value}}</title></path>{{/slices}}
        </svg>
        {{/empty}}
        <details{{^small}} open{{/small}}><summary>Table</summary>
        <table class="data"><thead><tr><th scope="col">{{keyHeading}}</th><th scope="col">{{valueHeading}}</th></tr></thead>
        <tbody>{{#rows}}<tr><td>{{#swatch}}<svg class="swatch" viewBox="0 0 10 10"><rect width="10" height="10" fill="{{swatch}}"/></svg> {{/swatch}}{{key}}</td><td class="num">{{value}}</td></tr>{{/rows}}</tbody>
        </table>
        </details>
        </div>
        </figure>
        """

    /// The world (Natural Earth's low-resolution countries), each country
    /// shaded by its count; the legend gives the scale.
    static let worldMap = """
        <figure class="map{{#small}} small{{/small}}" id="{{id}}">
        <figcaption>{{title}}</figcaption>
        <svg viewBox="{{viewBox}}" role="img" aria-labelledby="{{id}}-title" preserveAspectRatio="xMidYMid meet">
        <title id="{{id}}-title">{{title}}</title>
        <rect class="sea" x="{{seaX}}" y="{{seaY}}" width="{{seaWidth}}" height="{{seaHeight}}"/>
        {{#countries}}<path class="country{{#highlighted}} highlighted{{/highlighted}}" d="{{path}}" fill="{{fill}}" data-country="{{code}}"{{#count}} data-count="{{count}}"{{/count}}><title>{{name}}{{#count}}: {{count}}{{/count}}</title></path>
        {{/countries}}
        </svg>
        {{#hasLegend}}<p class="legend">{{#legend}}<span><svg class="swatch" viewBox="0 0 10 10"><rect width="10" height="10" fill="{{fill}}"/></svg> {{label}}</span> {{/legend}}</p>{{/hasLegend}}
        </figure>
        """
}
