extension ConsoleTemplates {
    static let events = """
        <form method="get" action="/console/events" class="filters" id="series-query">
        <label>Namespace <input name="namespace" value="{{namespace}}" list="namespaces" required></label>
        <label>Name <input name="name" value="{{name}}" required></label>
        <label>From <input name="from" value="{{from}}" placeholder="YYYY-MM-DD" size="20"></label>
        <label>To <input name="to" value="{{to}}" placeholder="YYYY-MM-DD" size="20"></label>
        <label>Granularity <select name="granularity">{{#granularities}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/granularities}}</select></label>
        <label>Function <select name="fn">{{#functions}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{value}}</option>{{/functions}}</select></label>
        <button>Show</button>
        </form>
        {{#chart}}{{{chart}}}{{/chart}}
        {{#missing}}<p class="error">{{missing}}</p>{{/missing}}
        <h2>Series</h2>
        <form method="get" action="/console/events" class="filters">
        <label>Filter <input name="filter" value="{{filter}}"></label>
        <button>Filter</button>
        </form>
        <table id="series"><thead><tr><th>Namespace</th><th>Name</th></tr></thead><tbody>
        {{#series}}<tr><td>{{namespace}}</td><td><a href="{{href}}">{{name}}</a></td></tr>{{/series}}
        </tbody></table>
        {{#truncated}}<p class="muted">More series match: narrow the filter.</p>{{/truncated}}
        """
}
