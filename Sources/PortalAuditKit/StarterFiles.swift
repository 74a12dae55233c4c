import Foundation
import PortalAuditCore

/// The files `portal-audit init` writes: an inventory to fill in (YAML, and a CSV header for a spreadsheet)
/// and an alerts file. Never overwrites.
public enum StarterFiles {
    public static let inventory = """
        # Danh mục cổng/trang thông tin điện tử cần kiểm tra (portal-audit scan portals.yaml).
        # Mỗi cổng một mục trong `portals`; `defaults` áp dụng cho mọi cổng chưa ghi riêng.
        # Cấp độ (level) là cấp độ an toàn hệ thống thông tin đã được phê duyệt: thường là 2, là 3 nếu
        # cổng giải quyết thủ tục hành chính. Bộ tiêu chí vn-level1 … vn-level5 đi kèm công cụ; cổng không
        # ghi cấp độ được đánh giá theo cấp độ 2 và báo cáo ghi "(giả định cấp độ 2)".
        defaults:
          province: "Tỉnh Thanh Hóa"
          level: 2
          owner: "Sở Khoa học và Công nghệ"        # cơ quan quản lý cổng
          contact: "attt@sokhcn.thanhhoa.gov.vn"   # người/đơn vị quản lý; địa chỉ thư ở đây cũng nhận cảnh báo

        # Kiểm tra chủ động (tìm tệp .git, .env, bản sao lưu) chỉ khi cơ quan có quyền kiểm tra các cổng này;
        # ghi văn bản cho phép, báo cáo in lại nguyên văn:
        # authorised: true
        # authorisation: "Công văn số …/UBND-… ngày … của UBND tỉnh về việc rà soát an ninh mạng"

        portals:
          # Chính quyền hai cấp (từ 01/7/2025): tỉnh → xã/phường, không ghi huyện.
          - url: https://xayenthai.thanhhoa.gov.vn/
            name: "Trang thông tin điện tử xã Yên Thái"
            commune: "Xã Yên Thái"
            # alerts_to: "vanphong@yenthai.thanhhoa.gov.vn"   # xã chỉ nhận cảnh báo về cổng của mình

          # Cổng giải quyết thủ tục hành chính: cấp độ 3.
          - url: https://dichvucong.thanhhoa.gov.vn/
            name: "Cổng dịch vụ công tỉnh Thanh Hóa"
            level: 3

          # Cách ghi cũ, ba cấp (tỉnh → huyện → xã), vẫn đọc được; báo cáo gộp theo từng cấp.
          - url: https://dongson.thanhhoa.gov.vn/
            name: "Cổng thông tin điện tử huyện Đông Sơn (cũ)"
            district: "Huyện Đông Sơn"
            commune: "Thị trấn Rừng Thông"
            # http_port: 8080       # nếu HTTP không ở cổng 80
            # address: 10.0.0.5     # ghim tên miền vào địa chỉ (như curl --resolve), khi cần

        """

    public static let csvHeader = "url,name,province,district,commune,level,owner,contact,address,http_port\n"

    public static let alerts = """
        # Nơi nhận cảnh báo của portal-audit monitor (--alerts alerts.yaml). Cả hai đều không bắt buộc;
        # mọi lỗi được báo theo tệp:dòng:cột.
        # webhook:
        #   url: "https://chat.sokhcn.thanhhoa.gov.vn/hooks/portal-audit"
        # email:
        #   smtp: "smtp://mail.thanhhoa.gov.vn:587"   # bắt buộc STARTTLS, trừ khi starttls: false
        #   from: "giamsat-cong@thanhhoa.gov.vn"
        #   to: ["attt@sokhcn.thanhhoa.gov.vn"]
        # Cảnh báo chứng thư số theo hồ sơ cấp độ: cert.expiry-soon warn_days (30 ngày ở cấp 1–2, 45, 60, 90).
        reminder_hours: 24      # khi cổng còn gián đoạn, nhắc lại tối đa mỗi chừng này giờ
        retry_seconds: 60       # thư/webhook gửi không được: giữ lại, thử lại sau chừng này giây (gấp đôi dần, tối đa 1 giờ)
        incident_min_portals: 3 # từ chừng này cổng cùng máy chủ/mạng ngừng cùng lúc: một cảnh báo sự cố, không phải từng cổng
        # Máy đối chứng: luôn tới được từ máy giám sát (cổng tỉnh, một trang của nhà cung cấp DNS). Khi
        # self_share số cổng cùng ngừng và không tới được máy đối chứng nào: một cảnh báo "mất kết nối từ máy
        # giám sát", giữ lại cảnh báo từng cổng, thời gian đó ghi là không giám sát được (không tính là gián đoạn).
        # canaries: ["https://thanhhoa.gov.vn/"]
        # self_share: 0.5
        # Quá chừng này giờ vẫn chưa khắc phục (sự cố, cổng ngừng): báo một lần cho kênh thứ hai.
        # escalation: { after_hours: 4, to: ["lanhdao@sokhcn.thanhhoa.gov.vn"] }
        # Bản tin định kỳ cho từng nơi nhận (tỉnh: mọi cổng; mỗi xã: cổng của mình), kèm cách khắc phục.
        # digest: { every: daily, dashboard: "https://giamsat.thanhhoa.gov.vn" }

        """

    /// The names `init` writes in a folder.
    public static let names = ["portals.yaml", "portals.csv", "alerts.yaml"]

    /// Writes the three files into `folder`, or none when any of them exists.
    ///
    /// - Returns: the paths written.
    /// - Throws: `InputIssues` naming every file that already exists.
    public static func write(into folder: String) throws -> [String] {
        let paths = names.map { (folder as NSString).appendingPathComponent($0) }
        let existing = paths.filter { FileManager.default.fileExists(atPath: $0) }
        if !existing.isEmpty {
            throw InputIssues(
                existing.map {
                    InputIssue(file: $0, field: "", problem: "already exists: init never overwrites a file")
                })
        }
        for (path, text) in zip(paths, [inventory, csvHeader, alerts]) {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return paths
    }
}
