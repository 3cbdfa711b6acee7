extension ConsoleTemplates {
    static let statistics = """
        <div class="figures">
        <p class="figure">Instances<b id="total-instances">{{total}}</b></p>
        <p class="figure">Active (crawling enabled)<b id="active-instances">{{active}}</b></p>
        <p class="figure">Countries<b id="country-count">{{countryCount}}</b></p>
        </div>
        {{{map}}}
        <h2>Instances per country</h2>
        <table id="countries"><thead><tr><th>Country</th><th class="num">Instances</th><th class="num">Percent</th></tr></thead><tbody>
        {{#countries}}<tr data-country="{{country}}"><td>{{country}}</td><td class="num">{{count}}</td><td class="num">{{percent}}</td></tr>{{/countries}}
        </tbody></table>
        <h2>Registrations</h2>
        {{{registrations}}}
        {{#hasCharts}}<h2>Crawled fields</h2>{{/hasCharts}}
        <div class="charts">
        {{#charts}}{{{.}}}{{/charts}}
        </div>
        """
}
